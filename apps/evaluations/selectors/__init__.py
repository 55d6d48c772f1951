"""Reads for quarterly evaluations, assessments, indicators and survey aggregates."""
