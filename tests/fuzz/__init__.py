"""What tests/test_fuzz_forms.py needs, one module per job, each importing only those above it.

strategies: the values a form is sent (no other module of the package);
form: one form's description and the request body it gets (strategies);
world: the owner, the stranger and their coach, with their rows (strategies);
guard: what no case may change (world);
table: every view that takes input, with its fields (form, strategies, world).
"""
