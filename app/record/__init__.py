"""Recording demonstrations: input events, merged steps, the frames around them."""
