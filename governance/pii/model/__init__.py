"""The learned name and address tagger: synthetic data, model and training."""
