"""The quarterly bulletin (季度通报): written by the machine from named queries, checked number by number.

``compose`` writes a draft, ``check`` re-computes every figure, ``apply_edit`` keeps a reviewer's edit bound to
its queries; ``source`` is what the queries read (in memory for tests, the statistics tables in production).
"""
