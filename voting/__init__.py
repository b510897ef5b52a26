"""Voting domain: polls, eligibility, ballots, quorum, majority, tally.

Pure rules over dataclasses; imports nothing of ours and does no I/O.
"""
