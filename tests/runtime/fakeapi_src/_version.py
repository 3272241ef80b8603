# Hand-written stand-in for a generated _version.py.
__version__ = "1.2.3"
