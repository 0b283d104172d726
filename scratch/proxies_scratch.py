"""Runtime stand-in for ``proxies_scratch.pyi``; only the stub matters."""
