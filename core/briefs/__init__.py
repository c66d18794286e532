"""Brief intake: the text of an uploaded or pasted brief, and its fields (offline parser).

`extract_text` reads .txt, .md, .pdf and .docx in memory; `parse_brief` turns text into
`BriefFields`; `validate_fields` checks the fields a person edited in the form.
"""

from core.briefs.extract import MAX_BYTES, extract_text
from core.briefs.fields import BriefFields, validate_fields
from core.briefs.parse import parse_brief

__all__ = ["MAX_BYTES", "BriefFields", "extract_text", "parse_brief", "validate_fields"]
