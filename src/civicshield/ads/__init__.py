"""Political-ad ban: ad review, branded political content, coordinated scripts, the public ad library."""
