// The few Cognito user pools API calls a signed-in customer makes with their access token
// (phone number verification). Same requests against Cognito and the local pool; the local pool
// adds `LocalCode` to the delivery details because it sends no SMS.

export interface CodeDelivery {
  Destination: string;
  DeliveryMedium: string;
  AttributeName: string;
  LocalCode?: string;
}

export class UserPoolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function invoke<T>(endpoint: string, operation: string, body: object, fetcher: typeof fetch): Promise<T> {
  const response = await fetcher(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const code = String(answer.__type || `HTTP ${response.status}`).split("#").pop() as string;
    throw new UserPoolError(code, answer.message || code);
  }
  return answer as T;
}

export function setPhoneNumber(endpoint: string, accessToken: string, phoneNumber: string, fetcher: typeof fetch = fetch) {
  return invoke<{ CodeDeliveryDetailsList?: CodeDelivery[] }>(
    endpoint,
    "UpdateUserAttributes",
    { AccessToken: accessToken, UserAttributes: [{ Name: "phone_number", Value: phoneNumber }] },
    fetcher,
  );
}

export function sendPhoneCode(endpoint: string, accessToken: string, fetcher: typeof fetch = fetch) {
  return invoke<{ CodeDeliveryDetails: CodeDelivery }>(endpoint, "GetUserAttributeVerificationCode", { AccessToken: accessToken, AttributeName: "phone_number" }, fetcher);
}

export function verifyPhoneCode(endpoint: string, accessToken: string, code: string, fetcher: typeof fetch = fetch) {
  return invoke<object>(endpoint, "VerifyUserAttribute", { AccessToken: accessToken, AttributeName: "phone_number", Code: code }, fetcher);
}
