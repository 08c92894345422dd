"""nngui: a desktop workbench for building, training and understanding small NumPy networks."""

__version__ = "0.1.0"
