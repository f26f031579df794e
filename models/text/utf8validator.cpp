#include "text/utf8validator.h"

#include "text/bytescan.h"

#include <array>

// A table-driven DFA over byte classes. The states encode exactly what the next byte may be, so the
// narrow second-byte ranges after E0, ED, F0 and F4 (RFC 3629 §4) make overlongs, surrogates and code
// points above U+10FFFF fail on the first byte that rules them out rather than at the end of the
// sequence: the inspector points at that byte.

namespace {

enum State : quint8 {
    Accept = 0, // on a code point boundary
    Reject = 1, // sticky
    Need1 = 2, // one more 80..BF
    Need2 = 3, // two more 80..BF
    Need3 = 4, // three more 80..BF
    AfterE0 = 5, // A0..BF, then one more (80..9F would be an overlong 3-byte form)
    AfterED = 6, // 80..9F, then one more (A0..BF would be a UTF-16 surrogate)
    AfterF0 = 7, // 90..BF, then two more (80..8F would be an overlong 4-byte form)
    AfterF4 = 8, // 80..8F, then two more (90..BF would exceed U+10FFFF)
    StateCount = 9,
};

enum ByteClass : quint8 {
    Ascii = 0, // 00..7F
    Cont80 = 1, // 80..8F
    Cont90 = 2, // 90..9F
    ContA0 = 3, // A0..BF
    Never = 4, // C0, C1 (always overlong), F5..FF (beyond U+10FFFF)
    Lead2 = 5, // C2..DF
    LeadE0 = 6,
    Lead3 = 7, // E1..EC, EE..EF
    LeadED = 8,
    LeadF0 = 9,
    Lead4 = 10, // F1..F3
    LeadF4 = 11,
    ClassCount = 12,
};

constexpr std::array<quint8, 256> makeClasses()
{
    std::array<quint8, 256> c {};
    for (int b = 0; b < 256; ++b) {
        quint8 k = Never;
        if (b <= 0x7F)
            k = Ascii;
        else if (b <= 0x8F)
            k = Cont80;
        else if (b <= 0x9F)
            k = Cont90;
        else if (b <= 0xBF)
            k = ContA0;
        else if (b <= 0xC1)
            k = Never;
        else if (b <= 0xDF)
            k = Lead2;
        else if (b == 0xE0)
            k = LeadE0;
        else if (b == 0xED)
            k = LeadED;
        else if (b <= 0xEF)
            k = Lead3;
        else if (b == 0xF0)
            k = LeadF0;
        else if (b <= 0xF3)
            k = Lead4;
        else if (b == 0xF4)
            k = LeadF4;
        c[b] = k;
    }
    return c;
}

using Transitions = std::array<std::array<quint8, ClassCount>, StateCount>;

constexpr Transitions makeTransitions()
{
    Transitions t {};
    for (auto &row : t)
        row.fill(Reject);

    t[Accept][Ascii] = Accept;
    t[Accept][Lead2] = Need1;
    t[Accept][LeadE0] = AfterE0;
    t[Accept][Lead3] = Need2;
    t[Accept][LeadED] = AfterED;
    t[Accept][LeadF0] = AfterF0;
    t[Accept][Lead4] = Need3;
    t[Accept][LeadF4] = AfterF4;

    for (quint8 k : { Cont80, Cont90, ContA0 }) {
        t[Need1][k] = Accept;
        t[Need2][k] = Need1;
        t[Need3][k] = Need2;
    }
    t[AfterE0][ContA0] = Need1;
    t[AfterED][Cont80] = Need1;
    t[AfterED][Cont90] = Need1;
    t[AfterF0][Cont90] = Need2;
    t[AfterF0][ContA0] = Need2;
    t[AfterF4][Cont80] = Need2;
    return t;
}

constexpr auto kClasses = makeClasses();
constexpr auto kTransitions = makeTransitions();

// Runs the DFA from `state` over `bytes`. Returns the final state; on rejection `rejectedAt` is the
// index of the byte that caused it.
inline quint32 run(quint32 state, const uchar *bytes, qsizetype size, qsizetype &rejectedAt)
{
    qsizetype i = 0;
    while (i < size) {
        if (state == Accept && bytes[i] < 0x80) {
            // Text is mostly ASCII: skip the whole run at once, to the next byte with its top bit set.
            i += ByteScan::asciiRun(bytes + i, size - i);
            if (i >= size)
                break;
        }
        state = kTransitions[state][kClasses[bytes[i]]];
        if (state == Reject) {
            rejectedAt = i;
            return state;
        }
        ++i;
    }
    return state;
}

} // namespace

Utf8Validator::Result Utf8Validator::feed(QByteArrayView bytes)
{
    if (m_state == Reject)
        return Result::Invalid;
    qsizetype rejectedAt = -1;
    m_state = run(m_state, reinterpret_cast<const uchar *>(bytes.data()), bytes.size(), rejectedAt);
    if (m_state == Reject)
        m_invalidOffset = m_fed + rejectedAt;
    m_fed += bytes.size();
    return result();
}

Utf8Validator::Result Utf8Validator::result() const
{
    switch (m_state) {
    case Accept:
        return Result::Valid;
    case Reject:
        return Result::Invalid;
    default:
        return Result::Incomplete;
    }
}

void Utf8Validator::reset()
{
    m_state = Accept;
    m_fed = 0;
    m_invalidOffset = -1;
}

bool Utf8Validator::isValid(QByteArrayView complete)
{
    qsizetype rejectedAt = -1;
    return run(Accept, reinterpret_cast<const uchar *>(complete.data()), complete.size(), rejectedAt) == Accept;
}
