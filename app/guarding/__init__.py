"""Guard checks over HTTP and the command line."""
