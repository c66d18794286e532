"""One line spoken by eSpeak NG, in a process of its own (run by `voice.synthesize`).

Why a process per line: the library keeps state from one utterance to the next (the phase of
its pitch flutter, among others), so the same line spoken twice in one process does not give
the same sound; a fresh process always starts from the same state. It also keeps a crash of the
C library out of the worker, and lets two workers speak at once (the library is not
thread-safe). Only the standard library is imported here: the process starts in ~30 ms.

argv: library path, data path, voice name, words a minute, pitch (0-100), seed; the text on
stdin (UTF-8). stdout: one JSON line {"rate", "events": [[type, text position, ms], ...]},
then the samples as 16-bit little-endian PCM, mono.
"""

from __future__ import annotations

import ctypes
import json
import sys

SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS
DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: report errors, never exit the process
RATE, PITCH = 1, 3  # espeak_PARAMETER
CHARS_UTF8, POS_CHARACTER = 1, 1


class Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event)
)


def speak(lib_path: str, data_path: str, voice: str, wpm: int, pitch: int, seed: int,
          text: str) -> tuple[int, list[list[int]], bytes]:  # fmt: skip
    lib = ctypes.CDLL(lib_path)
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
        ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
    ]  # fmt: skip
    rate = lib.espeak_Initialize(SYNCHRONOUS, 0, data_path.encode(), DONT_EXIT)
    if rate <= 0:
        raise RuntimeError(f"eSpeak NG did not start (error {rate})")
    chunks: list[bytes] = []
    events: list[list[int]] = []

    def collect(wav, count, found):
        if count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while found[i].type != 0:  # espeakEVENT_LIST_TERMINATED
            e = found[i]
            events.append([e.type, e.text_position, e.audio_position])
            i += 1
        return 0

    callback = CALLBACK(collect)
    lib.espeak_SetSynthCallback(callback)
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise RuntimeError(f"eSpeak NG has no voice {voice}")
    lib.espeak_SetParameter(RATE, wpm, 0)
    lib.espeak_SetParameter(PITCH, pitch, 0)
    lib.espeak_ng_SetRandSeed(seed)
    data = text.encode("utf-8")
    status = lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
    lib.espeak_Synchronize()
    if status != 0:
        raise RuntimeError(f"eSpeak NG refused the text (error {status})")
    return rate, events, b"".join(chunks)


def main() -> int:
    lib_path, data_path, voice, wpm, pitch, seed = sys.argv[1:7]
    text = sys.stdin.buffer.read().decode("utf-8")
    try:
        rate, events, pcm = speak(lib_path, data_path, voice, int(wpm), int(pitch), int(seed),
                                  text)  # fmt: skip
    except RuntimeError as error:
        sys.stderr.write(str(error))
        return 1
    out = sys.stdout.buffer
    out.write(json.dumps({"rate": rate, "events": events}).encode() + b"\n")
    out.write(pcm)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
