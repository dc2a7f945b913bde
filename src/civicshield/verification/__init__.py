"""Official accounts: verification requests, the public registry, impersonation and their restrictions."""
