"""`advisor ask`: questions in Chinese or English, parsed by rules and answered."""
