"""Mediation Desk (调解工作台): case management for people's mediation committees."""

__version__ = "0.1.0"
