"""Code generator for flask-sqlalchemy-typed: ``python -m codegen [--check]``."""
