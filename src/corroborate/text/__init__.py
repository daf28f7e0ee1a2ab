"""Segmentation with offsets into the original text: tokens, sentences, paragraphs, turns."""

from corroborate.text.segment import Sentence, Token, sentences, tokenize

__all__ = ["Sentence", "Token", "sentences", "tokenize"]
