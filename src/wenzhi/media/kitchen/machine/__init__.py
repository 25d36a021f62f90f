"""Machine-written stories (机器人生产): each kind (``writers``) composes a story from Wenzhi's own data, every
number bound to a named query (``figures``); ``check`` re-computes them all before an editor may approve."""
