"""Views that explain the network: diagram, fit, error map and the inside of each step.

Every view is a ``View`` widget that shows a ``ViewState`` (a snapshot of the network with its
data); the main window's view tabs decide when a view refreshes (only while visible, and at a
limited rate while training), so that views never slow training down.
"""
