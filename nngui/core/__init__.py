"""The NumPy engine of nngui: data, scalers, network, optimisers, training and model files.

Nothing in this package imports Qt; everything the GUI does can be done headless from here.
"""
