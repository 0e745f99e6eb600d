"""The pages of accounts: sign-in and the profile (``signin``), and the administrators' pages of
the application's own shell: the unit tree (``units``), accounts (``users``), roles,
authenticators, lockouts and tokens (``security``), their home panels (``panels``) and the
pickers' search endpoints (``pickers``). Who reaches each is the access matrix's decision."""
