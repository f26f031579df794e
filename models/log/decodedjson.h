#pragma once

#include "decode/decoded.h"

#include <QByteArray>

// The `decoded` object jsonl lines carry (wsinspector-cli --decode): a Decode::Decoded written as
// compact JSON straight into the line being built. Going through QJsonObject and QJsonDocument cost
// two thirds of the command line's time under a Socket.IO flood; this writes each string once.
//
// {"protocol":"stomp","summary":...,"error":...,"units":[{"type","summary","error","fields":
// [{"name","value","children"}],"correlations":[{"role","key"}],"inner":{"protocol","units"}}]}
// Members that would be empty ("error", "fields", "children", "correlations", "inner") are left
// out; "summary" names every unit, where the log's column stops after four.
namespace DecodedJson {

void append(QByteArray &out, const Decode::Decoded &decoded);
QByteArray toJson(const Decode::Decoded &decoded);

} // namespace DecodedJson
