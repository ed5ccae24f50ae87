"""The pretrained encoders and the checkpoint loading shared by the attribution tagger and the stance classifier."""
