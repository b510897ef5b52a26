"""Annotations on meeting documents: ink, highlights and sticky notes, private or shared."""
