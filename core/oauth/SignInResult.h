#pragma once

#include "oauth/OAuthError.h"
#include "oauth/TokenResponse.h"

namespace relaydeck {

// How a sign-in ended: the tokens, or why not.
struct SignInResult
{
    bool ok = false;
    TokenResponse tokens;
    OAuthError error;
};

} // namespace relaydeck
