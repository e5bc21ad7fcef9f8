"""Batches for the post office: the approved parcels a case worker sees, per facility
(`services.py`), printed as labels and content lists or a courier CSV (`documents.py`)."""
