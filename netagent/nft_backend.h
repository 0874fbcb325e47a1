// netagent/nft_backend.h — the nftables proxy mode: a ProxyBackend that
// keeps minik's nftables table (see nft_ruleset.h) in step with the desired
// state, sending every change as one atomic nf_tables batch.
#pragma once

#include <memory>
#include <string>

#include "netagent/nft_ruleset.h"
#include "netagent/proxy_backend.h"

namespace minik::netagent {

// Null with error set when the kernel has no nf_tables (or no permission).
std::unique_ptr<ProxyBackend> makeNftBackend(const NftLayout& layout, std::string* error);

}  // namespace minik::netagent
