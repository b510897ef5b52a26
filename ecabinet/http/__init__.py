"""Thin Starlette endpoints: parse, call the services, map errors."""
