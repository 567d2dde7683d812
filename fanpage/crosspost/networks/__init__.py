"""One module per social network, each a subclass of ``fanpage.crosspost.network.Network``."""
