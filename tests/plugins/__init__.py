"""Third-party plug-ins for tests, installed into a temporary folder as a distribution."""
