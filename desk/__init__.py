"""The staff's working desk: the admin home's dashboard, notifications and invitations.

Above ``importer`` and below ``api`` (the dependency rule, docs/ARCHITECTURE.md):
it reads releases, the audit log and import records to tell each person what
waits for them, and creates colleagues' accounts.  It holds no rule of the
workflow: who may do what is asked of ``releases.workflow``.
"""
