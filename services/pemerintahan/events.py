"""pemerintahan publishes no events yet: its reports are read through the gateway."""
