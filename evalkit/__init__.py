"""evalkit: decide which LLM workloads may migrate from a frontier API to a cheaper tier."""

from evalkit.results import load_run

__all__ = ["load_run"]
__version__ = "0.1.0"
