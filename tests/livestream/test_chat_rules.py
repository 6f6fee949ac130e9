from livestream import chat_rules


def test_a_normal_message_is_accepted_and_normalized():
    verdict = chat_rules.check_message("  这件 \n\t 多少钱？  ")
    assert verdict.ok
    assert verdict.text == "这件 多少钱？"  # Chinese punctuation is kept; only matching folds width


def test_empty_and_whitespace_and_invisible_messages_are_refused():
    for raw in ["", "   ", "\u200b\u200b", "\n\t"]:
        verdict = chat_rules.check_message(raw)
        assert not verdict.ok and verdict.code == "empty", raw


def test_too_long_messages_are_refused():
    assert chat_rules.check_message("好" * chat_rules.MAX_MESSAGE_CHARS).ok
    verdict = chat_rules.check_message("好" * (chat_rules.MAX_MESSAGE_CHARS + 1))
    assert not verdict.ok and verdict.code == "too_long"
    assert chat_rules.check_message("x" * 100_000).code == "too_long"


def test_non_text_is_refused():
    for raw in [None, 42, ["hi"], {"text": "hi"}]:
        assert chat_rules.check_message(raw).code == "invalid"


def test_banned_words_are_caught_through_spacing_case_and_full_width():
    for raw in ["加微信聊", "加 微 信", "这是 SCAM", "ｓｃａｍ alert", "s.c.a.m", "Ｓ．Ｃ．Ａ．Ｍ"]:
        verdict = chat_rules.check_message(raw)
        assert not verdict.ok and verdict.code == "banned_word", raw
    assert chat_rules.check_message("微信支付可以吗").ok


def test_like_counts():
    assert chat_rules.like_count(None) == 1
    assert chat_rules.like_count(5) == 5
    for raw in [0, -1, chat_rules.MAX_LIKES_PER_MESSAGE + 1, "3", 1.5, True]:
        assert chat_rules.like_count(raw) is None, raw


def test_rate_decision():
    assert chat_rules.rate_decision(since_last_ms=None, sent_in_window=0).ok
    assert chat_rules.rate_decision(since_last_ms=5000, sent_in_window=chat_rules.WINDOW_MAX - 1).ok
    assert chat_rules.rate_decision(since_last_ms=10, sent_in_window=0).code == "too_fast"
    assert chat_rules.rate_decision(since_last_ms=5000, sent_in_window=chat_rules.WINDOW_MAX).code == "rate_limited"
