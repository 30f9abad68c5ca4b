"""The embargoed press room: advance access for approved journalists, per release.

Above ``journalists`` (who may be trusted) and ``releases`` (what is embargoed);
it decides which approved journalist may read which release before its instant.
"""
