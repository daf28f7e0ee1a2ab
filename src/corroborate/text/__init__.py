"""Segmentation with offsets into the original text: tokens, sentences, paragraphs, turns."""

from corroborate.text.segment import Sentence, Token, paragraphs, sentences, tokenize

__all__ = ["Sentence", "Token", "paragraphs", "sentences", "tokenize"]
