"""MNIST-family data: IDX files, the embedded 10k digits, full data sets (placeholder)."""
