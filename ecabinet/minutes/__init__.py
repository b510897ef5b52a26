"""Minutes: the clerk's notes and decisions during the meeting, and afterwards the signed
minutes rendered from the log.

    state.py      the minutes sub-state of a meeting and its fold (pure)
    decisions.py  the minutes commands: notes, absences, decisions, versions (pure)
    record.py     the machine-readable record built from the folded meeting
    render.py     record → HTML (Jinja2) → PDF/A-3b (WeasyPrint) with signature fields
    keys.py       the development CA, per-user signing credentials, PKCS#12 import
    sign.py       PAdES signing (pyHanko): clerk certifies, chair approves
    verify.py     the offline verdict on a minutes file
    service.py    generate and sign through the meeting's command path; files on disk
    worker.py     the process pool that renders and signs off the event loop
    jobs.py       a generation as a job the tablet polls for its progress

docs/minutes.md describes the whole feature.
"""
