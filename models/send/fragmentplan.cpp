#include "send/fragmentplan.h"

#include "text/utf8validator.h"

#include <QCoreApplication>

namespace {

// Translation context for the plan's notes and errors (FragmentPlan is a namespace).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(FragmentPlan)
};

// A plan is a list a person steps through by hand; beyond this it is a flood, not a plan.
constexpr qsizetype kMaxFrames = 10000;

bool isContinuationByte(char c)
{
    return (quint8(c) & 0xC0) == 0x80;
}

// The code point of valid UTF-8 that byte `offset` (a continuation byte) belongs to: its first byte,
// length and value.
struct CodePoint {
    qsizetype start = 0;
    int length = 1;
    char32_t value = 0;
};

CodePoint codePointAround(const QByteArray &utf8, qsizetype offset)
{
    CodePoint cp;
    cp.start = offset;
    while (cp.start > 0 && isContinuationByte(utf8[cp.start]))
        --cp.start;
    const auto lead = quint8(utf8[cp.start]);
    cp.length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    cp.value = lead & (0xFF >> (cp.length + 1));
    for (int i = 1; i < cp.length; ++i)
        cp.value = (cp.value << 6) | (quint8(utf8[cp.start + i]) & 0x3F);
    return cp;
}

QString emptyFragmentsNote(const QList<int> &indexes)
{
    QStringList names;
    for (int i : indexes)
        names << QString::number(i + 1);
    if (names.size() == 1)
        return Tr::tr("fragment %1 is empty: allowed, a fragment may carry no payload.").arg(names.first());
    const QString last = names.takeLast();
    return Tr::tr("fragments %1 and %2 are empty: allowed, a fragment may carry no payload.")
        .arg(names.join(QStringLiteral(", ")), last);
}

// Payload sizes of the fragments, in order.
QList<qsizetype> fragmentSizes(const FragmentPlan::Options &o)
{
    QList<qsizetype> sizes;
    const qsizetype total = o.message.size();
    if (o.splitBy == FragmentPlan::Options::SplitBy::Count) {
        // As even as possible: the first (total % count) fragments carry one byte more.
        const qsizetype base = total / o.count;
        const qsizetype longer = total % o.count;
        for (int i = 0; i < o.count; ++i)
            sizes << base + (i < longer ? 1 : 0);
    } else {
        // The same split as the composer's fragment size (FrameWriter::fragment).
        for (const FrameSpec &spec : FrameWriter::fragment(o.opcode, o.message, o.size, o.mask))
            sizes << spec.payload.size();
    }
    return sizes;
}

} // namespace

QList<FrameSpec> FragmentPlan::Plan::specs() const
{
    QList<FrameSpec> out;
    out.reserve(frames.size());
    for (const PlannedFrame &f : frames)
        out << f.spec;
    return out;
}

FragmentPlan::Plan FragmentPlan::make(const Options &o)
{
    Plan plan;
    if (o.splitBy == Options::SplitBy::Count && o.count < 1) {
        plan.error = Tr::tr("A message needs at least 1 fragment.");
        return plan;
    }
    if (o.splitBy == Options::SplitBy::Size && o.size < 1) {
        plan.error = Tr::tr("Fragments need a size of at least 1 byte.");
        return plan;
    }
    const qsizetype fragments = o.splitBy == Options::SplitBy::Count
        ? qsizetype(o.count)
        : qMax<qsizetype>(1, (o.message.size() + o.size - 1) / o.size);
    const qsizetype frameCount = o.pingBetween ? 2 * fragments - 1 : fragments;
    if (frameCount > kMaxFrames) {
        plan.error = Tr::tr("That makes %1 frames; a plan holds at most %2. Choose fewer or larger fragments.")
                         .arg(frameCount)
                         .arg(kMaxFrames);
        return plan;
    }

    const QList<qsizetype> sizes = fragmentSizes(o);
    plan.fragmentCount = int(sizes.size());
    const bool validText = o.opcode == Opcode::Text && Utf8Validator::isValid(o.message);
    QList<int> empty;
    qsizetype offset = 0;
    for (int i = 0; i < plan.fragmentCount; ++i) {
        PlannedFrame frame;
        frame.fragment = i;
        frame.spec.fin = i == plan.fragmentCount - 1;
        frame.spec.opcode = i == 0 ? o.opcode : quint8(Opcode::Continuation);
        frame.spec.mask = o.mask;
        frame.spec.payload = o.message.mid(offset, sizes[i]);
        if (sizes[i] == 0 && plan.fragmentCount > 1)
            empty << i;
        plan.frames << frame;
        if (o.pingBetween && !frame.spec.fin) {
            PlannedFrame ping;
            ping.spec.opcode = Opcode::Ping;
            ping.spec.mask = o.mask;
            ping.spec.payload = o.pingPayload;
            plan.frames << ping;
        }
        if (validText && i > 0 && sizes[i] > 0 && isContinuationByte(o.message[offset])) {
            // Only meaningful for valid text: then every continuation byte belongs to a code point. The
            // fragment that starts with it is named, not an empty one before it.
            const CodePoint cp = codePointAround(o.message, offset);
            int previous = i - 1;
            while (previous > 0 && sizes[previous] == 0)
                --previous;
            plan.notes << Tr::tr("Fragments %1 and %2 split U+%3 (%4 + %5 of its %6 bytes). Allowed: a "
                                 "server checks the UTF-8 of the whole message, not of each fragment "
                                 "(RFC 6455 §5.6, §8.1).")
                              .arg(previous + 1)
                              .arg(i + 1)
                              .arg(QString::number(quint32(cp.value), 16).toUpper().rightJustified(4, QLatin1Char('0')))
                              .arg(offset - cp.start)
                              .arg(cp.start + cp.length - offset)
                              .arg(cp.length);
        }
        offset += sizes[i];
    }

    if (plan.fragmentCount == 1)
        plan.notes << Tr::tr("One frame with FIN set: the message is not fragmented.");
    if (!empty.isEmpty())
        plan.notes << emptyFragmentsNote(empty);
    if (o.opcode == Opcode::Text && !validText)
        plan.notes << Tr::tr("The text is not valid UTF-8: a strict server fails the connection with 1007 "
                             "Invalid Payload Data (RFC 6455 §8.1).");
    return plan;
}
