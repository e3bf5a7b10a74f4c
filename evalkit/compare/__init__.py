"""Pairing two runs case by case (the gate, regression and drift are built on it)."""
