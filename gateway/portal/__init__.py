"""The public portal: what every citizen and investor may see of their pemda, as web pages (``pages``) and as
open data (``data``), served by the gateway. Only what is enacted or published is shown: the services answer
nothing else to a caller without a token (perencanaan's ``publikasi``)."""
