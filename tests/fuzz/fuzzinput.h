#pragma once

// What every fuzz target shares: reading its configuration and chunk plan from the front of the fuzz
// input, splitting the rest into the chunks a socket might deliver, and failing loudly.
//
// Input layout (each target documents its configuration bytes):
//   [configuration bytes] [k: low 5 bits = number of chunk sizes] [k chunk-size bytes] [bytes to parse]
// A chunk-size byte b means b + 1 bytes for b < 0xF0, else 2^(b - 0xE8) bytes (256 B .. 8 MiB);
// the sizes repeat until the bytes run out. k = 0 means one byte at a time, the harshest split.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

class FuzzInput {
public:
    FuzzInput(const uint8_t *data, size_t size)
        : m_bytes(reinterpret_cast<const char *>(data), qsizetype(size))
    {
    }

    // Missing bytes read as 0, so a short input still runs with the default configuration.
    quint8 takeByte()
    {
        if (m_bytes.isEmpty())
            return 0;
        const auto b = quint8(m_bytes[0]);
        m_bytes = m_bytes.sliced(1);
        return b;
    }

    QList<qsizetype> takeChunkPlan()
    {
        const int count = takeByte() & 0x1F;
        QList<qsizetype> sizes;
        for (int i = 0; i < count; ++i) {
            const quint8 b = takeByte();
            sizes << (b < 0xF0 ? qsizetype(b) + 1 : qsizetype(1) << (b - 0xE8));
        }
        return sizes;
    }

    QByteArrayView rest() const { return m_bytes; }

private:
    QByteArrayView m_bytes;
};

inline QList<QByteArrayView> splitByPlan(QByteArrayView bytes, const QList<qsizetype> &plan)
{
    QList<QByteArrayView> chunks;
    qsizetype pos = 0;
    for (qsizetype i = 0; pos < bytes.size(); ++i) {
        const qsizetype size = plan.isEmpty() ? 1 : plan[i % plan.size()];
        const qsizetype take = qMin(size, bytes.size() - pos);
        chunks << bytes.sliced(pos, take);
        pos += take;
    }
    return chunks;
}

// abort() is what both libFuzzer (a crash, with the input saved) and the corpus driver (a failed
// ctest) understand; assert() and Q_ASSERT vanish from release builds.
[[noreturn]] inline void fuzzFail(const char *file, int line, const char *condition, const QString &detail)
{
    std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n%s\n", file, line, condition, qPrintable(detail));
    std::fflush(stderr);
    std::abort();
}

#define FUZZ_CHECK(condition, detail)                                                                                  \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            fuzzFail(__FILE__, __LINE__, #condition, (detail));                                                        \
    } while (false)

inline QString hexOf(QByteArrayView bytes, qsizetype max = 64)
{
    QString text = QString::fromLatin1(bytes.first(qMin(max, bytes.size())).toByteArray().toHex(' '));
    if (bytes.size() > max)
        text += QStringLiteral(" ... (%1 bytes)").arg(bytes.size());
    return text;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
