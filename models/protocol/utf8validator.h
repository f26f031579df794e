#pragma once

#include <QByteArrayView>
#include <QtGlobal>

// Incremental, fail-fast UTF-8 validator (RFC 3629 as RFC 6455 §8.1 requires): bytes may be fed in
// any pieces (a code point may be split across TCP reads or across fragments); it reports Invalid
// at the first byte that cannot begin or continue a valid sequence (overlongs, surrogates,
// > U+10FFFF rejected as early as the bytes allow).
class Utf8Validator {
public:
    enum class Result {
        Valid, // valid so far and the bytes end on a code point boundary
        Incomplete, // valid so far but the bytes end inside a code point
        Invalid, // cannot be valid; sticky until reset()
    };

    Result feed(QByteArrayView bytes);
    Result result() const;
    // Offset, counted over all bytes fed since reset(), of the first byte that made it invalid; -1 if none.
    qint64 invalidOffset() const { return m_invalidOffset; }
    void reset();

    static bool isValid(QByteArrayView complete);

private:
    quint32 m_state = 0;
    qint64 m_fed = 0;
    qint64 m_invalidOffset = -1;
};
