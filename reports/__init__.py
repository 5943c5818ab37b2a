"""Reports made from the snapshot and the ops store: the evidence pack (evidence)."""
