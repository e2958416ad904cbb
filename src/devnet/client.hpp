#pragma once
/// The devnet is a client of the deployment it creates: it drives it through the client library
/// (session, deployment file, restaking calls), whose names it uses as its own.

#include "client/deployment.hpp"
#include "client/restaking.hpp"
#include "client/session.hpp"

namespace sigil::devnet {

/// A failed devnet step: the client's error, so one handler covers both.
using DevnetError = client::ClientError;

using client::allocate;
using client::claim_rewards;
using client::claimable;
using client::complete_withdrawal;
using client::delegate;
using client::Deployment;
using client::deposit;
using client::describe_rpc_error;
using client::encode_call;
using client::encode_call_values;
using client::format_units;
using client::kWad;
using client::operator_status;
using client::OperatorMetadata;
using client::OperatorStatus;
using client::parse_address_arg;
using client::parse_amount_arg;
using client::queue_withdrawal;
using client::register_for_sigil;
using client::register_operator;
using client::registration_data;
using client::Service;
using client::Session;
using client::Signer;
using client::token_balance;
using client::withdrawable_shares;

}  // namespace sigil::devnet
