"""
Writes of the messaging engine, one module per concern:

- schedule: put messages in the outbox, re-schedule, cancel (called by every feature)
- dispatch: claim due rows, send them, recover lost claims and unknown outcomes
- provider: what the provider tells us later (status callbacks, error side effects)
- replies: inbound SMS, STOP and START
- broadcast: announcements to the opted-in people of a site

Import from the submodules: this package does not re-export, so that the people app
can cancel messages without an import cycle.
"""
