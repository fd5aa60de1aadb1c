"""Screen understanding: OCR, widget proposals, parsed screens and grounding descriptions to points."""
