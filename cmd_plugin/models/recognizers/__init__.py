from .stream_recognizer import SkeletonStreamRecognizer

__all__ = ['SkeletonStreamRecognizer']
