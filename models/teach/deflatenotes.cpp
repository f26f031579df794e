#include "teach/deflatenotes.h"

#include "text/displaytext.h"
#include "text/sizeformat.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(DeflateNotes)
};

// 2^bits bytes: the LZ77 window a DEFLATE stream may refer back into.
QString windowSize(int bits)
{
    return SizeFormat::rounded(quint64(1) << bits);
}

QString bitsValue(const ExtensionParameter &p)
{
    return p.value ? DisplayText::line(*p.value, 20) : QString();
}

// The sentence for one parameter; `fromServer`: it is part of the server's answer.
QString parameterNote(const ExtensionParameter &p, bool fromServer)
{
    const QByteArray name = p.name.toLower();
    const QString shown = DisplayText::line(p.name, 60);
    bool ok = false;
    const int bits = p.value ? p.value->toInt(&ok) : 0;
    const bool validBits = ok && bits >= 8 && bits <= 15;
    if (name == "server_no_context_takeover") {
        return fromServer
            ? Tr::tr("%1: the server resets its compression after every message, so each message it "
                     "sends inflates on its own (costs ratio, saves the client 32 KiB of memory).")
                  .arg(shown)
            : Tr::tr("%1: the client asks the server to reset its compression after every message.").arg(shown);
    }
    if (name == "client_no_context_takeover") {
        return fromServer
            ? Tr::tr("%1: the server asks the client to reset its compression after every message.").arg(shown)
            : Tr::tr("%1: the client will reset its compression after every message.").arg(shown);
    }
    if (name == "server_max_window_bits") {
        if (!validBits)
            return Tr::tr("%1=%2: not a window size (8 to 15 bits).").arg(shown, bitsValue(p));
        return fromServer
            ? Tr::tr("%1=%2: the server compresses with a window of at most %3.")
                  .arg(shown)
                  .arg(bits)
                  .arg(windowSize(bits))
            : Tr::tr("%1=%2: the client asks the server to compress with a window of at most %3, so that inflating "
                     "needs less memory.")
                  .arg(shown)
                  .arg(bits)
                  .arg(windowSize(bits));
    }
    if (name == "client_max_window_bits") {
        if (!p.value) {
            return fromServer
                ? Tr::tr("%1 without a value: not allowed in an answer (RFC 7692 §7.1.2.2).").arg(shown)
                : Tr::tr("%1: the client lets the server limit the window the client compresses with.").arg(shown);
        }
        if (!validBits)
            return Tr::tr("%1=%2: not a window size (8 to 15 bits).").arg(shown, bitsValue(p));
        return fromServer ? Tr::tr("%1=%2: the client must compress with a window of at most %3.")
                                .arg(shown)
                                .arg(bits)
                                .arg(windowSize(bits))
                          : Tr::tr("%1=%2: the client will compress with a window of at most %3.")
                                .arg(shown)
                                .arg(bits)
                                .arg(windowSize(bits));
    }
    return Tr::tr("%1: not a permessage-deflate parameter (RFC 7692 §7.1 defines four).").arg(shown);
}

QStringList notes(const Extension &extension, bool fromServer)
{
    QStringList out;
    if (extension.parameters.isEmpty()) {
        out << (fromServer ? Tr::tr("permessage-deflate with no parameters: both sides compress with a 32 KiB window "
                                    "and keep it from one message to the next.")
                           : Tr::tr("permessage-deflate with no parameters: the server may answer with any it likes."));
    }
    for (const ExtensionParameter &p : extension.parameters)
        out << parameterNote(p, fromServer);
    return out;
}

} // namespace

QStringList DeflateNotes::offer(const Extension &offer)
{
    return notes(offer, false);
}

QStringList DeflateNotes::answer(const Extension &answer)
{
    return notes(answer, true);
}

QString DeflateNotes::agreement(const PerMessageDeflate::Agreement &a)
{
    const QString server = a.serverNoContextTakeover
        ? Tr::tr("The server compresses each message on its own with a window of up to %1.")
              .arg(windowSize(a.serverMaxWindowBits))
        : Tr::tr("The server compresses with a window of up to %1, kept from one message to the next.")
              .arg(windowSize(a.serverMaxWindowBits));
    const QString client = a.clientNoContextTakeover
        ? Tr::tr("The client compresses each message on its own with a window of up to %1.")
              .arg(windowSize(a.clientMaxWindowBits))
        : Tr::tr("The client compresses with a window of up to %1, kept from one message to the next.")
              .arg(windowSize(a.clientMaxWindowBits));
    return server + QLatin1Char(' ') + client
        + Tr::tr(" Either side may still send a message uncompressed: RSV1 on its first frame says which.");
}

QStringList DeflateNotes::negotiation(
    const HttpHeaders &request, const HttpHeaders *response, const HandshakeCheck *check)
{
    QStringList out;
    const QList<QByteArray> offeredValues = HttpHeaderList::values(request, "Sec-WebSocket-Extensions");
    if (offeredValues.isEmpty()) {
        out << Tr::tr("Offered: nothing. Frames go out as RFC 6455 defines them, every RSV bit 0.");
        return out;
    }
    const Extensions::Parsed offered = Extensions::parse(offeredValues);
    QString offerText = Tr::tr("Offered: %1.").arg(DisplayText::line(offeredValues.join(", "), 300));
    for (const Extension &e : offered.list) {
        if (e.name.compare(PerMessageDeflate::Name, Qt::CaseInsensitive) == 0)
            offerText += QLatin1Char(' ') + DeflateNotes::offer(e).join(QLatin1Char(' '));
    }
    out << offerText;
    if (!response || !check)
        return out;
    const QList<QByteArray> answerValues = HttpHeaderList::values(*response, "Sec-WebSocket-Extensions");
    if (answerValues.isEmpty()) {
        out << Tr::tr("Answered: nothing accepted. Frames go out uncompressed, every RSV bit 0.");
        return out;
    }
    QString answerText = Tr::tr("Answered: %1.").arg(DisplayText::line(answerValues.join(", "), 300));
    for (const Extension &e : check->acceptedExtensions) {
        if (e.name.compare(PerMessageDeflate::Name, Qt::CaseInsensitive) == 0)
            answerText += QLatin1Char(' ') + DeflateNotes::answer(e).join(QLatin1Char(' '));
    }
    out << answerText;
    if (!check->extensionFailures.isEmpty()) {
        out << Tr::tr("The client must fail the connection: %1.")
                   .arg(check->extensionFailures.join(QStringLiteral("; ")));
    } else if (check->deflate) {
        out << Tr::tr("Agreed: %1").arg(DeflateNotes::agreement(*check->deflate));
    }
    return out;
}
