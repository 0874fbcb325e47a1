// Uid: reads back the text it was made from, and compares and hashes as that
// text would, whether held as bytes (canonical UUID) or interned (any other).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "controllers/uid.h"

using minik::Uid;
using minik::UidHash;

TEST_CASE("a canonical UUID reads back as the same text", "[uid]") {
  const std::string text = "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b";
  Uid uid(text);
  CHECK(uid.str() == text);
  CHECK(std::string(uid) == text);
  CHECK(uid == text);
  CHECK(text == uid);
  CHECK_FALSE(uid.empty());
  CHECK(sizeof(Uid) <= 32);
}

TEST_CASE("texts that are not canonical UUIDs are kept as they are", "[uid]") {
  for (const std::string text : {"", "u", "pod-a", "0F8E2A4C-1B3D-4E5F-8A9B-0C1D2E3F4A5B",
                                 "00000000-0000-0000-0000-000000000000", "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5",
                                 "0f8e2a4c+1b3d-4e5f-8a9b-0c1d2e3f4a5b", "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5g"}) {
    Uid uid(text);
    CHECK(uid.str() == text);
    CHECK(uid == Uid(text));
    CHECK(uid.empty() == text.empty());
  }
  CHECK(Uid().empty());
  CHECK(Uid() == std::string());
}

TEST_CASE("Uids compare and hash as their texts", "[uid]") {
  std::vector<std::string> texts = {"ffffffff-ffff-4fff-bfff-ffffffffffff", "00000000-0000-4000-8000-000000000001",
                                    "9a000000-0000-4000-8000-000000000000", "a0000000-0000-4000-8000-000000000000",
                                    "a0000000-0000-4000-8000-00000000000a", "", "zz", "A0000000", "b"};
  std::vector<Uid> uids(texts.begin(), texts.end());
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t j = 0; j < texts.size(); ++j) {
      INFO(texts[i] << " vs " << texts[j]);
      CHECK((uids[i] < uids[j]) == (texts[i] < texts[j]));
      CHECK((uids[i] == uids[j]) == (texts[i] == texts[j]));
    }
    CHECK(UidHash()(uids[i]) == UidHash()(Uid(texts[i])));
  }
  std::sort(uids.begin(), uids.end());
  std::sort(texts.begin(), texts.end());
  for (size_t i = 0; i < texts.size(); ++i) CHECK(uids[i].str() == texts[i]);
}
