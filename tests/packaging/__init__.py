"""The program as users install it: a wheel built from the checkout, installed outside it."""
