"""Agenda domain: items, order, current item, speakers list, timers.

Pure rules over dataclasses; imports nothing of ours and does no I/O.
"""
