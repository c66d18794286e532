"""Brief intake: the text of an uploaded or pasted brief, and its fields (offline parser).

`extract_text` reads .txt, .md, .pdf and .docx in memory; `parse_brief` turns text into
`BriefFields`; `validate_fields` checks the fields a person edited in the form; `parse_with`
lets an LLM on Replicate parse instead, falling back to the offline parser.
"""

from core.briefs.extract import MAX_BYTES, extract_text
from core.briefs.fields import BriefFields, brand_mismatch, validate_fields
from core.briefs.llm import LLM_MODELS, OFFLINE, ParseOutcome, parse_with
from core.briefs.parse import parse_brief

__all__ = [
    "LLM_MODELS", "MAX_BYTES", "OFFLINE", "BriefFields", "ParseOutcome", "brand_mismatch",
    "extract_text",
    "parse_brief", "parse_with", "validate_fields",
]  # fmt: skip
