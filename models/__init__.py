"""Model backends behind small protocols (OCR sessions today; chat and vision models as they land)."""
